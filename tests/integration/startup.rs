//! How the binary is linked, for a short start-up (benches/README.md,
//! "Issue 23: start-up").

/// build.rs links libgcc's unwinder into the binary on Linux with glibc,
/// so the dynamic loader has no `libgcc_s.so.1` to find and map. Checked on
/// the binary's bytes (its `DT_NEEDED` names are strings in it), where the
/// C compiler has the archive (build.rs keeps the shared library otherwise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_binary_does_not_load_libgcc_s() {
    let archive = std::process::Command::new("cc").arg("-print-file-name=libgcc_eh.a").output();
    let Ok(archive) = archive else { return };
    if !std::path::Path::new(String::from_utf8_lossy(&archive.stdout).trim()).is_absolute() {
        return;
    }
    let bin = std::fs::read(env!("CARGO_BIN_EXE_slacalc")).unwrap();
    assert!(!bin.windows(b"libgcc_s".len()).any(|w| w == b"libgcc_s"), "the binary names libgcc_s");
    // Still dynamically linked against the C library, so the check means something.
    assert!(bin.windows(b"libc.so.6".len()).any(|w| w == b"libc.so.6"));
}
