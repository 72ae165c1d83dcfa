//! The dev server's HTTP side: the built site (and nothing outside it), the
//! live-reload event stream and the current state.
//!
//! Files are served by tower-http's `ServeDir`, which rejects `..`,
//! encoded traversal and absolute paths, sets content types, and answers
//! missing files with the theme's `404.html` and status 404. The output
//! folder holds only files coachbook wrote (never symlinks), so nothing
//! leads outside it.
//!
//! Every request first passes [`guard`]: a `Host` that is not this
//! server's (a web page that DNS-rebinds its own name to 127.0.0.1 to
//! read the reps' pages) is refused with 421, and a path the file system
//! cannot hold (a segment over 255 bytes) or a dotfile is a 404.

use super::State;
use axum::extract::State as AxState;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower_http::services::{ServeDir, ServeFile};

/// The server for the site built into `out`, mounted at `base_path`
/// (`/` or `/sub/path/`), answering on `port`.
pub fn router(out: &Path, base_path: &str, port: u16, state: Arc<State>) -> Router {
    let not_found = ServeFile::new(out.join("404.html"));
    let files = ServeDir::new(out)
        .append_index_html_on_directories(true)
        .not_found_service(not_found.clone());
    let prefix = base_path.trim_end_matches('/');
    let api = Router::new()
        .route(&format!("{prefix}/__coachbook/events"), get(events))
        .route(&format!("{prefix}/__coachbook/status"), get(status))
        .with_state(state);
    let app = if prefix.is_empty() {
        api.fallback_service(files)
    } else {
        let target = format!("{prefix}/");
        api.route(
            "/",
            get(move || async move { Redirect::temporary(&target) }),
        )
        .nest_service(prefix, files)
    };
    let guard_state = Arc::new(Guard { port, not_found });
    app.layer(axum::middleware::from_fn_with_state(guard_state, guard))
}

struct Guard {
    port: u16,
    not_found: ServeFile,
}

/// Refuses requests for another host (421) and paths no built file can
/// have (404 with the theme's page) before they reach the routes.
async fn guard(
    AxState(g): AxState<Arc<Guard>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| host_allowed(h, g.port)) {
        return (
            axum::http::StatusCode::MISDIRECTED_REQUEST,
            "coachbook serve answers only requests for localhost, 127.0.0.1 or its own IP address\n",
        )
            .into_response();
    }
    if !path_servable(req.uri().path()) {
        let mut not_found = g.not_found.clone();
        let page = tower::ServiceExt::oneshot(&mut not_found, req).await;
        let mut resp = match page {
            Ok(r) => r.into_response(),
            Err(never) => match never {},
        };
        *resp.status_mut() = axum::http::StatusCode::NOT_FOUND;
        return resp;
    }
    next.run(req).await
}

/// Whether a `Host` header names this server: `localhost` (or a name
/// under `.localhost`) or an IP address literal, with this server's port
/// when a port is given. A DNS-rebinding page always sends its own domain
/// name, which is refused; an IP literal cannot be rebound.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let (name, given_port) = match host.rsplit_once(':') {
        // `[::1]:8000`, `127.0.0.1:8000`, `localhost:8000`
        Some((n, p)) if !p.contains(']') && (n.starts_with('[') || !n.contains(':')) => {
            (n, Some(p))
        }
        _ => (host, None),
    };
    let port_ok = match given_port {
        Some(p) => p.parse::<u16>().ok() == Some(port),
        None => port == 80,
    };
    let name = name.trim_end_matches('.');
    let lower = name.to_ascii_lowercase();
    let name_ok = lower == "localhost"
        || lower.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok());
    port_ok && name_ok
}

/// Whether a request path could name a built file: no segment longer than
/// a file name may be (255 bytes) and no hidden file or folder.
fn path_servable(path: &str) -> bool {
    path.split('/').all(|seg| {
        let mut bytes = percent_encoding::percent_decode_str(seg);
        let hidden = bytes.next() == Some(b'.');
        !hidden && bytes.count() < 255
    })
}

async fn status(AxState(state): AxState<Arc<State>>) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        state.json(),
    )
        .into_response()
}

async fn events(
    AxState(state): AxState<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let now = state.json();
    let updates = BroadcastStream::new(state.tx.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::once(now)
        .chain(updates)
        .map(|json| Ok(Event::default().data(json)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_hosts_are_answered() {
        for ok in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "app.localhost:8000",
            "[::1]:8000",
            "192.168.1.20:8000",
        ] {
            assert!(host_allowed(ok, 8000), "{ok}");
        }
        for bad in [
            "evil.example:8000",
            "127.0.0.1.nip.io:8000",
            "localhost.evil.example:8000",
            "127.0.0.1:8001",
            "127.0.0.1",
            "localhost:",
            "[::1]",
            "",
            "127.0.0.1:8000:8000",
        ] {
            assert!(!host_allowed(bad, 8000), "{bad}");
        }
        assert!(host_allowed("localhost", 80));
    }

    #[test]
    fn long_segments_and_dotfiles_are_not_looked_up() {
        assert!(path_servable("/coach/deals/d3/"));
        assert!(path_servable("/search/data/manifest.json"));
        assert!(!path_servable(&format!("/{}", "a".repeat(256))));
        assert!(path_servable(&format!("/{}", "a".repeat(255))));
        assert!(!path_servable("/.coachbook-manifest"));
        assert!(!path_servable("/%2egit/config"));
    }
}
