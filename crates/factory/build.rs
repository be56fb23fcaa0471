//! Records `git describe` (when the source is a git checkout) as `AF_GIT_DESCRIBE` for the code
//! version stored with every run.

fn main() {
    let describe = std::process::Command::new("git")
        .args(["describe", "--always", "--tags"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=AF_GIT_DESCRIBE={describe}");
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/refs/heads");
}
