//! `provpoll`: the command line natively; the browser app on wasm32 (built by Trunk).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let code = provpoll::cli::run(
        &args,
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
