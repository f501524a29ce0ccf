//! The HTTP side: hyper's HTTP/1.1 server on a single-threaded tokio runtime, answering with
//! [`respond`](super::respond) and streaming the preview's builds as server-sent events.
//!
//! Bounds, so that no client can grow the process or lock the author out:
//! - a request head (request line and headers) of at most [`MAX_HEAD`] bytes and
//!   [`MAX_HEADERS`] headers (hyper answers 431 beyond), read within [`HEAD_TIMEOUT`] (an idle
//!   keep-alive connection is closed after it too); a request body is never read;
//! - at most [`MAX_CONNECTIONS`] connections at once: the next waits in the kernel's backlog
//!   until one closes;
//! - at most [`MAX_EVENT_STREAMS`] of them listening for builds (a browser tab holds one),
//!   so pages always have connections left; a stream beyond is answered 503. Each stream
//!   writes a comment every [`HEARTBEAT`], so one whose tab has gone is noticed and closed.
//!
//! GET and HEAD only; HEAD is answered with GET's headers and no body (hyper leaves it out).
//!
//! One thread serves every connection: answers are copies of files held in memory, so none
//! waits on anything but the files' lock, which a partial rebuild holds while it runs (it
//! compares its files with the last build's in place): a page requested then waits for the
//! new build, as it would for its reload.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, HeaderValue, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, mpsc, watch};

use super::respond::{self, Announcement, Pages, Response, State};
use crate::error::{Error, Result};

/// The longest request head read: request line and headers together.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most header lines a request may have.
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a client has to send a request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections served at once.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// The most connections listening for builds at once.
pub(crate) const MAX_EVENT_STREAMS: usize = 32;
/// How often an idle event stream says it is still there.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What every connection shares.
pub(crate) struct Shared {
    pub state: Arc<Mutex<State>>,
    pub base_path: String,
    pub pages: Pages,
    /// The builds, for the event streams; `None` serves no stream (a built site).
    pub builds: Option<watch::Receiver<Announcement>>,
}

/// Serves `listener` until the process ends.
pub(crate) fn run(listener: std::net::TcpListener, shared: Shared) -> Result<()> {
    let failed = |e: std::io::Error| Error::Output(format!("cannot serve: {e}"));
    listener.set_nonblocking(true).map_err(failed)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(failed)?;
        let shared = Arc::new(shared);
        let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let streams = Arc::new(Semaphore::new(MAX_EVENT_STREAMS));
        loop {
            let Ok(permit) = Arc::clone(&connections).acquire_owned().await else {
                return Ok(());
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, most likely: let the open ones finish.
                    eprintln!("error: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let (shared, streams) = (Arc::clone(&shared), Arc::clone(&streams));
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let answer = answer(&request, &shared, &streams);
                    async move { Ok::<_, Infallible>(answer) }
                });
                // A connection that fails (a client gone, a head too large: hyper has
                // answered it) ends here; the server goes on.
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEAD_TIMEOUT)
                    .max_header_size(MAX_HEAD)
                    .max_headers(MAX_HEADERS)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    })
}

type Body = Either<Full<Bytes>, EventStream>;

fn answer(
    request: &Request<Incoming>,
    shared: &Shared,
    streams: &Arc<Semaphore>,
) -> hyper::Response<Body> {
    let host = request
        .headers()
        .get(HOST)
        .map(|h| h.to_str().unwrap_or(""));
    if !respond::loopback_host(host) {
        return full(Response::text(
            StatusCode::FORBIDDEN,
            "the preview answers only 127.0.0.1, localhost and [::1]",
        ));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = full(Response::text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD",
        ));
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    if let Some(builds) = &shared.builds
        && respond::is_events(path, &shared.base_path)
    {
        return match Arc::clone(streams).try_acquire_owned() {
            Ok(permit) => events(builds.clone(), permit),
            Err(_) => full(Response::text(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many open previews; close a tab and reload",
            )),
        };
    }
    let response = {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        respond::respond(path, &shared.base_path, &state, shared.pages)
    };
    full(response)
}

fn full(response: Response) -> hyper::Response<Body> {
    let mut answer = hyper::Response::new(Either::Left(Full::new(Bytes::from(response.body))));
    *answer.status_mut() = response.status;
    let headers = answer.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(response.content_type),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(location) = response
        .location
        .and_then(|l| HeaderValue::from_str(&l).ok())
    {
        headers.insert(LOCATION, location);
    }
    answer
}

/// The event stream of one page: the build now, then each build as it ends.
fn events(
    mut builds: watch::Receiver<Announcement>,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> hyper::Response<Body> {
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        let _permit = permit;
        // Reconnect a second after the server goes away (a restarted `serve`).
        let mut event = format!("retry: 1000\n{}", builds.borrow_and_update().event());
        loop {
            if sender.send(Bytes::from(event)).await.is_err() {
                return; // The page has gone.
            }
            event = match tokio::time::timeout(HEARTBEAT, builds.changed()).await {
                Ok(Ok(())) => builds.borrow_and_update().event(),
                Ok(Err(_)) => return, // No more builds: the server is stopping.
                Err(_) => ": still here\n\n".to_string(),
            };
        }
    });
    let mut answer = hyper::Response::new(Either::Right(EventStream(receiver)));
    let headers = answer.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    answer
}

/// A response body that is the events sent to it, for as long as the connection lasts.
pub(crate) struct EventStream(mpsc::Receiver<Bytes>);

impl hyper::body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|event| event.map(|bytes| Ok(Frame::data(bytes))))
    }
}
