//! The page's one worker (`crate::worker`): made on first use (a folder opened, or the fleet's
//! panel come into view), so its code stays out of what the page loads at start. The folder
//! view and the fleet view each hand it their messages and take its answers for them.

use std::cell::RefCell;
use std::collections::VecDeque;

use js_sys::Array;
use leptos::prelude::Get;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::web::protocol::{FromWorker, ToWorker};

/// The worker's loader, copied beside the page (`index.html`, `src/worker/worker-loader.js`).
const LOADER: &str = "worker-loader.js";

/// What a view does with the worker's answers for it.
pub type Handler = Box<dyn Fn(FromWorker)>;

/// The worker, made on first use; what is posted before it is ready waits.
#[derive(Default)]
struct Channel {
    worker: Option<web_sys::Worker>,
    ready: bool,
    waiting: VecDeque<(Array, Array)>,
    /// The fleet's answers (`fleet-…`) and the folder view's (all others).
    fleet: Option<Handler>,
    folder: Option<Handler>,
}

thread_local! {
    static CHANNEL: RefCell<Channel> = RefCell::new(Channel::default());
}

/// Where the worker's answers for the fleet (`fleet`) or for the folder go.
pub fn listen(fleet: bool, handler: Handler) {
    CHANNEL.with_borrow_mut(|c| {
        if fleet {
            c.fleet = Some(handler);
        } else {
            c.folder = Some(handler);
        }
    });
}

/// Whether the worker runs (it is never stopped).
pub fn running() -> bool {
    CHANNEL.with_borrow(|c| c.worker.is_some())
}

/// Makes the worker if there is none; false if the browser cannot.
pub fn start() -> bool {
    if running() {
        return true;
    }
    let Ok(worker) = web_sys::Worker::new(LOADER) else {
        return false;
    };
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        if let Some(message) = FromWorker::decode(&ev.data()) {
            answer(message);
        }
    });
    worker.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    CHANNEL.with_borrow_mut(|c| c.worker = Some(worker));
    send_lang();
    true
}

/// Sends what waited for the worker, paced: 2,000 files of a folder sent in one task held the
/// page. What is posted meanwhile waits behind them, in its order.
async fn send_waiting() {
    let mut pacer = super::browser::Pacer::new();
    loop {
        pacer.pace().await;
        let done = CHANNEL.with_borrow_mut(|c| {
            let Some(w) = &c.worker else { return true };
            match c.waiting.pop_front() {
                Some((m, t)) => {
                    let _ = w.post_message_with_transfer(&m, &t);
                    false
                }
                None => {
                    c.ready = true;
                    true
                }
            }
        });
        if done {
            return;
        }
    }
}

fn answer(message: FromWorker) {
    if let FromWorker::Ready = message {
        leptos::task::spawn_local(send_waiting());
        return;
    }
    // The handler is taken out while it runs: it may post (which borrows the channel).
    let fleet = matches!(
        message,
        FromWorker::FleetProgress { .. } | FromWorker::FleetDone { .. }
    );
    let handler = CHANNEL.with_borrow_mut(|c| {
        if fleet {
            c.fleet.take()
        } else {
            c.folder.take()
        }
    });
    if let Some(handler) = handler {
        handler(message);
        CHANNEL.with_borrow_mut(|c| {
            let slot = if fleet { &mut c.fleet } else { &mut c.folder };
            slot.get_or_insert(handler);
        });
    }
}

/// Posts `message` to the worker, handing over what it says; it waits until the worker is
/// ready.
pub fn post(message: ToWorker) {
    let (message, transfer) = message.encode();
    CHANNEL.with_borrow_mut(|c| match (&c.worker, c.ready) {
        (Some(w), true) => {
            let _ = w.post_message_with_transfer(&message, &transfer);
        }
        _ => c.waiting.push_back((message, transfer)),
    });
}

/// Tells the worker the page's language (and the table's text), so it writes and redraws
/// everything it shows in it.
pub fn send_lang() {
    post(ToWorker::Lang {
        tag: super::words().lang.as_str().to_owned(),
        table: super::table_text(),
    });
}

/// Reads `files` (a `FileList` or an array of `File`s: one log) as a server's log in the worker,
/// and shows its view; says so where the browser cannot start the worker.
pub fn open_log(state: super::State, files: &JsValue) {
    super::browser::scroll_to("log-heading");
    if !start() {
        super::browser::set_html(
            crate::web::protocol::id::LOG_STATUS,
            t!("This browser cannot start the folder's worker."),
        );
        return;
    }
    post(ToWorker::Log {
        files: Array::from(files).into(),
        zone: state.zone_choice.get(),
    });
}
