//go:build linux

package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"unsafe"
)

// envIsolated is set in the copy of a program that runs isolated.
const envIsolated = "CSPMODEL_BROWSER_ISOLATED"

// Isolated reports whether this process is the isolated copy.
func Isolated() bool { return os.Getenv(envIsolated) == "1" }

// RunIsolated runs this program again, with the same arguments, in new
// network, PID and mount namespaces (and a user namespace when not root),
// and returns its exit status. In the new network namespace only a
// loopback interface exists, so nothing an engine does can leave the
// machine; in the new PID namespace the copy is the first process, and when
// it ends the kernel ends every process left inside, so no engine outlives
// the tests; the mount namespace lets it mount a /proc of its own. The copy
// must call EnterIsolation before anything else.
func RunIsolated() (int, error) {
	if Isolated() {
		return 0, errors.New("already isolated")
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), envIsolated+"=1")
	attr := &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWPID | syscall.CLONE_NEWNS, Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() != 0 {
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
		attr.GidMappingsEnableSetgroups = false
	}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("new namespaces: %w", err)
	}
	// Pass interrupts on; the copy is its namespace's first process and
	// gets only the signals it handles.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		if code := exit.ExitCode(); code >= 0 {
			return code, nil
		}
		return 2, nil // killed by a signal
	default:
		return 0, err
	}
}

// EnterIsolation brings up the loopback interface of the new network
// namespace, which starts down; mounts a /proc that shows the new PID
// namespace, so that process ids read there are the ones kill takes; and
// makes the copy end on interrupts as a Go program normally does (the first
// process of a PID namespace ignores signals it does not handle).
func EnterIsolation() error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		os.Exit(130)
	}()
	// Without its own /proc, descendants finds nothing (procIsOurs), and
	// stopping relies on process groups and the namespace alone.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err == nil {
		syscall.Mount("proc", "/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, "")
	}
	return loopbackUp()
}

// loopbackUp sets the up flag of interface lo with SIOCSIFFLAGS.
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("loopback: socket: %w", err)
	}
	defer syscall.Close(fd)
	// struct ifreq: a 16-byte name, then a union whose first member here is
	// the short ifr_flags.
	var ifr [40]byte
	copy(ifr[:], "lo")
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&ifr[0]))); e != 0 {
		return fmt.Errorf("loopback: SIOCGIFFLAGS: %w", e)
	}
	flags := (*uint16)(unsafe.Pointer(&ifr[16]))
	*flags |= syscall.IFF_UP | syscall.IFF_RUNNING
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&ifr[0]))); e != 0 {
		return fmt.Errorf("loopback: SIOCSIFFLAGS: %w", e)
	}
	return nil
}
