package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// limitFlag makes this command a wrapper for go test's -exec: it caps the
// address space of the test binary, so that a mutant that allocates without
// end fails its test instead of taking the machine's memory.
const limitFlag = "-internal-limit-exec"

// runLimited handles "mutation -internal-limit-exec=BYTES prog args...": it
// lowers RLIMIT_AS to BYTES and executes prog in place of itself.
func runLimited(args []string) {
	v, _ := strings.CutPrefix(args[0], limitFlag+"=")
	limit, err := strconv.ParseUint(v, 10, 64)
	if err != nil || len(args) < 2 {
		fmt.Fprintf(os.Stderr, "mutation: %s: want %s=BYTES PROGRAM [ARGS]\n", args[0], limitFlag)
		os.Exit(2)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Fprintf(os.Stderr, "mutation: limiting memory: %v\n", err)
		os.Exit(2)
	}
	prog, err := exec.LookPath(args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "mutation: %v\n", err)
		os.Exit(2)
	}
	err = syscall.Exec(prog, args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "mutation: exec %s: %v\n", prog, err)
	os.Exit(2)
}
