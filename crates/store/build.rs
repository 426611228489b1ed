//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the
//! migration files, but Cargo only watches sources it is told about.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
