//go:build tools

// Package tools pins the Kubernetes API server the simulator runs: kube-apiserver v1.31.4, built
// from k8s.io/kubernetes with its staging modules at v0.31.4 (pinned here and in go.sum).
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
