//! `provpoll-worker`: the page's worker for provisioning folders (wasm32 only, built by Trunk
//! beside the app and loaded when a folder is first opened). Natively it does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    provpoll::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("provpoll-worker runs in the browser, beside the page; the command line is provpoll");
    std::process::exit(2);
}
