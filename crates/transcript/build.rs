//! Turns the Chromium test cases on when the browser is installed (or when
//! `TICKETBOOTH_REQUIRE_CHROMIUM=1` demands them, as CI does): without it they are reported as
//! ignored, with the reason, rather than passing without having run.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-env-changed=TICKETBOOTH_CHROMIUM");
    println!("cargo::rerun-if-env-changed=TICKETBOOTH_REQUIRE_CHROMIUM");
    println!("cargo::rustc-check-cfg=cfg(chromium_tests)");
    let chromium = std::env::var_os("TICKETBOOTH_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    // Watch the browser, or the folder it would be installed into, so installing it later
    // turns the cases on without a clean build.
    match (chromium.exists(), chromium.parent()) {
        (true, _) => println!("cargo::rerun-if-changed={}", chromium.display()),
        (false, Some(folder)) if folder.is_dir() => {
            println!("cargo::rerun-if-changed={}", folder.display());
        }
        _ => {}
    }
    let required = std::env::var("TICKETBOOTH_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
    if chromium.exists() || required {
        println!("cargo::rustc-cfg=chromium_tests");
    }
}
