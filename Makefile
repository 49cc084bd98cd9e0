# The two commands of the README: `make run` starts the app, `make test` runs every test.
# Each installs what it needs on a fresh Debian/Ubuntu machine (scripts/setup.sh).

.PHONY: run test release bundle

run:
	scripts/setup.sh run
	cargo run -p reclamations -- $(ARGS)

test:
	scripts/test.sh

release:
	scripts/setup.sh run
	cargo build -p reclamations --release --features tauri/custom-protocol

bundle:
	scripts/bundle.sh deb
