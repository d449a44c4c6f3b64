// The pod sandbox's pause process of the real Juju platform (scripts/realJuju): holds the pod's namespaces
// and reaps nothing else; exits on SIGINT or SIGTERM as the kubelet's pause image does.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
