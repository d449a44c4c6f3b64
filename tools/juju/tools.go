//go:build tools

// Package tools pins the Juju the real platform runs: 4.1-beta2 (github.com/juju/juju at commit 570e41ea, the
// pseudo-version the Go module proxy serves), with the replaces of Juju's own go.mod. goose v5.1.6, which Juju
// requires, is not served: the build replaces it with v5.1.3 plus the one field Juju 4.1 uses
// (see scripts/realJuju/builds.ts).
package tools

import (
	_ "github.com/juju/juju/cmd/containeragent"
	_ "github.com/juju/juju/cmd/juju"
	_ "github.com/juju/juju/cmd/jujuagentd"
	_ "github.com/juju/juju/cmd/jujuc"
)
