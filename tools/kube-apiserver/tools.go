//go:build tools

// Package tools pins the Kubernetes binaries the project runs, all from k8s.io/kubernetes v1.31.4 with its
// staging modules at v0.31.4 (pinned here and in go.sum): kube-apiserver for the simulator, and the rest of a
// single-node cluster (kubelet, controller-manager, scheduler, proxy, kubectl) for the real Juju platform.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
