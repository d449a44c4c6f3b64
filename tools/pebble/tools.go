//go:build tools

// Package tools pins the Pebble daemon the tests run: v1.26.0, what Juju 3.6 ships.
// `go install github.com/canonical/pebble/cmd/pebble@v1.26.0` fails behind the module proxy
// (its deprecation lookup is refused), so the version is pinned here and in go.sum instead.
package tools

import _ "github.com/canonical/pebble/cmd/pebble"
