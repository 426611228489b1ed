//! Rebuilds the crate when a migration is added or changed (`sqlx::migrate!` embeds the
//! migration files, but Cargo only watches sources it is told about), and turns the PostgreSQL
//! test cases on when `TICKETBOOTH_TEST_POSTGRES` names a server: without it they are reported
//! as ignored, with the reason, rather than passing without having run.

fn main() {
    println!("cargo::rerun-if-changed=migrations");
    println!("cargo::rerun-if-env-changed=TICKETBOOTH_TEST_POSTGRES");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("TICKETBOOTH_TEST_POSTGRES").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
