//! The updater plugin behind "Check for updates". The server is the
//! release manifest named in `tauri.conf.json` (`plugins.updater`), or
//! `KONTOR_UPDATE_URL` (a company's own mirror, or a test's server).

use kontor_core::Error;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::dto::{AvailableUpdate, UpdateCheck};

/// Overrides the update manifest's address.
pub const UPDATE_URL_ENV: &str = "KONTOR_UPDATE_URL";

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Update(e.to_string())
}

/// The plugin's error as the rep should hear it: a signature that does not
/// verify is a refusal, not a connection problem.
fn refused_or_failed(e: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => Error::UpdateRefused(e.to_string()),
        other => failed(other),
    }
}

/// The app's updates, managed where the updater plugin is registered (the
/// app; not the mock runtime of the tests): the update the last check
/// found, which "Install" installs without asking the server again.
#[derive(Default)]
pub struct Updates(std::sync::Mutex<Option<Update>>);

fn updates<R: Runtime>(app: &AppHandle<R>) -> Result<&Updates, Error> {
    let state = app.try_state::<Updates>().ok_or_else(|| failed("the updater is not part of this build"))?;
    Ok(state.inner())
}

/// Asks the update server.
async fn find<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, Error> {
    let mut builder = app.updater_builder();
    if let Some(url) = std::env::var(UPDATE_URL_ENV).ok().filter(|u| !u.trim().is_empty()) {
        let url = url.trim().parse().map_err(|e| failed(format!("{UPDATE_URL_ENV}: {e}")))?;
        builder = builder.endpoints(vec![url]).map_err(failed)?;
    }
    let updater = builder.build().map_err(failed)?;
    updater.check().await.map_err(failed)
}

/// The running version and the newer one, if the server has one.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateCheck, Error> {
    let updates = updates(app)?;
    let found = find(app).await?;
    let available = found.as_ref().map(|u| AvailableUpdate {
        version: u.version.clone(),
        date: u.date.map(|d| d.to_string()),
        notes: u.body.clone().filter(|b| !b.trim().is_empty()),
    });
    *lock(updates) = found;
    Ok(UpdateCheck { current: app.package_info().version.to_string(), available })
}

fn lock(updates: &Updates) -> std::sync::MutexGuard<'_, Option<Update>> {
    updates.0.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs the newer version the last check found (else asks again):
/// the plugin checks its signature, then it restarts into it; nothing to
/// do when there is none.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), Error> {
    let checked = lock(updates(app)?).clone();
    let update = match checked {
        Some(update) => update,
        None => match find(app).await? {
            Some(update) => update,
            None => return Ok(()),
        },
    };
    update.download_and_install(|_, _| {}, || {}).await.map_err(refused_or_failed)?;
    app.restart();
}

/// At start, when the rep turned "check at each start" on: a newer version
/// is announced by a notification (the settings install it).
pub fn check_at_start<R: Runtime>(app: &AppHandle<R>, language: kontor_core::Language) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(UpdateCheck { available: Some(update), .. }) => {
                use kontor_core::texts::Text;
                let title = Text::UpdateAvailable.get(language).replace("{version}", &update.version);
                crate::notify::show(&app, &title, Text::UpdateAvailableBody.get(language));
            }
            Ok(_) => {}
            Err(e) => eprintln!("kontor: {e}"),
        }
    });
}
