//go:build tools

// Keeps statsd_exporter in go.mod so `go install github.com/prometheus/statsd_exporter` builds the pinned version.
package tools

import _ "github.com/prometheus/statsd_exporter"
