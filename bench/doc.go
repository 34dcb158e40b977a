// Package bench holds the SDK's side-by-side benchmarks: each path of the
// SDK beside the least a careful program does by hand (the floor) and,
// for webhooks, beside other SDKs' receivers, all in one `go test -bench`
// run over the same loopback server and body. It is a module of its own so
// that the peers it compares with never become dependencies of the SDK.
// BENCHMARKS.md at the repository root says how to run it and what it
// measured.
package bench
