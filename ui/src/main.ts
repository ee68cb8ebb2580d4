// Entry point: styles and the app controller. No inline script or style
// anywhere, so the strict CSP (script-src 'self'; style-src 'self') holds.
import "./styles.css";
import { App } from "./app";

const root = document.getElementById("app");
if (root) void new App(root).start();
