//go:build linux

package browser

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is one program the harness started (a browser, or Xvfb), in a
// process group of its own so that it can be stopped with every helper
// process it forked.
type process struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed when Wait returns
	err  error
}

// startProcess starts cmd in its own process group, with its output in
// logPath. The process is killed if the harness dies first.
func startProcess(name string, cmd *exec.Cmd, logPath string) (*process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: f, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop kills the process, its group and every descendant that left the
// group, and waits for it. It is safe to call more than once.
func (p *process) stop() {
	if p == nil {
		return
	}
	pid := p.cmd.Process.Pid
	if !p.exited() {
		tree := descendants(pid)
		syscall.Kill(-pid, syscall.SIGKILL)
		for _, d := range tree {
			syscall.Kill(d, syscall.SIGKILL)
		}
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
		}
	} else {
		// The leader is gone; helpers may still hold its group.
		syscall.Kill(-pid, syscall.SIGKILL)
	}
	p.log.Close()
}

// tail returns the end of the process's log, for error messages.
func (p *process) tail() string {
	b, err := os.ReadFile(p.log.Name())
	if err != nil {
		return ""
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 1500 {
		s = "…" + s[len(s)-1500:]
	}
	return s
}

// descendants lists the processes below pid, read from /proc.
func descendants(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	children := map[int][]int{}
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		close := strings.LastIndexByte(s, ')')
		if close < 0 {
			continue
		}
		fields := strings.Fields(s[close+1:])
		if len(fields) < 2 {
			continue
		}
		child, err1 := strconv.Atoi(strings.Fields(s)[0])
		parent, err2 := strconv.Atoi(fields[1])
		if err1 == nil && err2 == nil {
			children[parent] = append(children[parent], child)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}
