//! `provpoll`: the command line natively; the browser app on wasm32 (built by Trunk).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let code = provpoll::cli::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    provpoll::app::mount();
}
