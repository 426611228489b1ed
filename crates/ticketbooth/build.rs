//! Turns the PostgreSQL end-to-end cases on when `TICKETBOOTH_TEST_POSTGRES` names a server:
//! without it they are reported as ignored, with the reason, rather than passing without having
//! run.

fn main() {
    println!("cargo::rerun-if-env-changed=TICKETBOOTH_TEST_POSTGRES");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("TICKETBOOTH_TEST_POSTGRES").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
