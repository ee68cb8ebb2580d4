#!/usr/bin/env python3
"""The desktop's side of the session bus, for Kontor's end-to-end tests.

serve: owns org.freedesktop.Notifications (a notification server) and
org.kde.StatusNotifierWatcher (where tray icons register), and writes one
JSON line per Notify call and per tray registration to the log file.

click: finds the tray item registered in the log, reads its menu over
com.canonical.dbusmenu and clicks the item with the given label.

menu: prints the tray menu's labels (depth first) as a JSON list.

tray: prints the registered tray item's properties (Id, Title, Status,
IconName, ToolTip's title) as a JSON object.

invoke: sends ActionInvoked(id, action) as the notification server does when
the user clicks a notification's button ("default": the notification itself).
"""
import argparse
import asyncio
import json
import sys
import time

from dbus_next import Message, MessageType, Variant
from dbus_next.aio import MessageBus
from dbus_next.constants import BusType
from dbus_next.service import ServiceInterface, method, signal


def log_line(path, record):
    record["time"] = time.time()
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


class Notifications(ServiceInterface):
    def __init__(self, log):
        super().__init__("org.freedesktop.Notifications")
        self.log = log
        self.next_id = 0

    @method()
    def Notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s", body: "s",
               actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":
        self.next_id += 1
        hints = {k: v.value for k, v in hints.items() if isinstance(v.value, (str, int, bool))}
        log_line(self.log, {"event": "notify", "id": self.next_id, "app_name": app_name, "app_icon": app_icon,
                            "summary": summary, "body": body, "actions": actions, "hints": hints})
        return self.next_id

    @method()
    def GetCapabilities(self) -> "as":
        return ["body", "actions"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["kontor-e2e", "kontor", "1.0", "1.2"]

    @method()
    def CloseNotification(self, id: "u"):
        pass

    @signal()
    def NotificationClosed(self) -> "uu":
        return [0, 0]


WATCHER = "org.kde.StatusNotifierWatcher"


async def serve(address, log):
    bus = await MessageBus(bus_address=address).connect()
    bus.export("/org/freedesktop/Notifications", Notifications(log))
    items = []

    def on_message(msg):
        if msg.message_type != MessageType.METHOD_CALL or msg.path != "/StatusNotifierWatcher":
            return None
        if msg.interface == WATCHER and msg.member == "RegisterStatusNotifierItem":
            service = msg.body[0]
            path = service if service.startswith("/") else "/StatusNotifierItem"
            name = msg.sender if service.startswith("/") else service
            items.append(f"{name}{path}")
            log_line(log, {"event": "sni", "service": name, "path": path})
            return Message.new_method_return(msg)
        if msg.interface == WATCHER and msg.member == "RegisterStatusNotifierHost":
            return Message.new_method_return(msg)
        if msg.interface == "org.freedesktop.DBus.Properties" and msg.member in ("Get", "GetAll"):
            props = {
                "RegisteredStatusNotifierItems": Variant("as", items),
                "IsStatusNotifierHostRegistered": Variant("b", True),
                "ProtocolVersion": Variant("i", 0),
            }
            if msg.member == "GetAll":
                return Message.new_method_return(msg, "a{sv}", [props])
            value = props.get(msg.body[1])
            if value is None:
                return Message.new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", msg.body[1])
            return Message.new_method_return(msg, "v", [value])
        if msg.interface == "org.freedesktop.DBus.Introspectable":
            return Message.new_method_return(msg, "s", ["<node/>"])
        return None

    bus.add_message_handler(on_message)
    await bus.request_name("org.freedesktop.Notifications")
    await bus.request_name(WATCHER)
    log_line(log, {"event": "ready"})
    await asyncio.get_running_loop().create_future()


def find_item(layout, label):
    item_id, props, children = layout
    text = props.get("label").value if "label" in props else ""
    if text.replace("_", "") == label:
        return item_id
    for child in children:
        found = find_item(child.value, label)
        if found is not None:
            return found
    return None


def labels(layout, out):
    _, props, children = layout
    if "label" in props:
        out.append(props["label"].value.replace("_", ""))
    for child in children:
        labels(child.value, out)
    return out


async def tray_menu(address, log):
    """The bus, the tray item's service, its menu path and the menu's layout."""
    service, path = registered_item(log)
    bus = await MessageBus(bus_address=address).connect()
    reply = await bus.call(Message(destination=service, path=path, interface="org.freedesktop.DBus.Properties",
                                   member="Get", signature="ss", body=["org.kde.StatusNotifierItem", "Menu"]))
    if reply.message_type == MessageType.ERROR:
        sys.exit(f"no menu: {reply.body}")
    menu = reply.body[0].value
    reply = await bus.call(Message(destination=service, path=menu, interface="com.canonical.dbusmenu",
                                   member="GetLayout", signature="iias", body=[0, -1, []]))
    if reply.message_type == MessageType.ERROR:
        sys.exit(f"no layout: {reply.body}")
    return bus, service, menu, reply.body[1]


def registered_item(log):
    """The bus name and object path of the tray item registered last."""
    records = [json.loads(line) for line in open(log, encoding="utf-8")]
    sni = [r for r in records if r["event"] == "sni"]
    if not sni:
        sys.exit("no tray item registered")
    return sni[-1]["service"], sni[-1]["path"]


async def tray(address, log):
    service, path = registered_item(log)
    bus = await MessageBus(bus_address=address).connect()
    out = {}
    for prop in ["Id", "Title", "Status", "IconName", "ToolTip"]:
        reply = await bus.call(Message(destination=service, path=path, interface="org.freedesktop.DBus.Properties",
                                       member="Get", signature="ss", body=["org.kde.StatusNotifierItem", prop]))
        if reply.message_type == MessageType.ERROR:
            continue
        value = reply.body[0].value
        # ToolTip is (icon name, icon pixmaps, title, text): its title.
        out[prop] = value[2] if prop == "ToolTip" else value
    print(json.dumps(out, ensure_ascii=False))


async def menu(address, log):
    _, _, _, layout = await tray_menu(address, log)
    print(json.dumps(labels(layout, []), ensure_ascii=False))


async def click(address, log, label):
    bus, service, menu, layout = await tray_menu(address, log)
    item = find_item(layout, label)
    if item is None:
        sys.exit(f"no menu item {label!r}")
    await bus.call(Message(destination=service, path=menu, interface="com.canonical.dbusmenu", member="Event",
                           signature="isvu", body=[item, "clicked", Variant("i", 0), 0]))
    print(item)


async def invoke(address, notification, action):
    bus = await MessageBus(bus_address=address).connect()
    await bus.send(Message.new_signal("/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                      "ActionInvoked", "us", [notification, action]))
    bus.disconnect()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve", "click", "menu", "invoke", "tray"])
    parser.add_argument("--address", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--label")
    parser.add_argument("--id", type=int)
    parser.add_argument("--action")
    args = parser.parse_args()
    if args.command == "serve":
        asyncio.run(serve(args.address, args.log))
    elif args.command == "menu":
        asyncio.run(menu(args.address, args.log))
    elif args.command == "tray":
        asyncio.run(tray(args.address, args.log))
    elif args.command == "invoke":
        asyncio.run(invoke(args.address, args.id, args.action))
    else:
        asyncio.run(click(args.address, args.log, args.label))


if __name__ == "__main__":
    main()
