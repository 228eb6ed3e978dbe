//go:build linux

package browser

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	becomeSubreaper.Do(func() {
		// Orphans of the engines' helpers become this process's children,
		// so that reapOrphans can collect them (the first process of a PID
		// namespace gets them anyway).
		syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	})
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
	started.Lock()
	started.pids[cmd.Process.Pid] = true
	started.Unlock()
	go func() {
		p.err = cmd.Wait()
		started.Lock()
		delete(started.pids, cmd.Process.Pid)
		started.Unlock()
		close(p.done)
	}()
	return p, nil
}

var becomeSubreaper sync.Once

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER of prctl(2).
const prSetChildSubreaper = 36

// started holds the processes startProcess started whose Wait has not
// returned yet: reapOrphans leaves them to their Wait.
var started = struct {
	sync.Mutex
	pids map[int]bool
}{pids: map[int]bool{}}

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
			syscall.Kill(d.pid, syscall.SIGKILL)
		}
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
		}
	} else {
		// The leader is gone; helpers may still hold its group.
		syscall.Kill(-pid, syscall.SIGKILL)
	}
	reapOrphans()
	p.log.Close()
}

// reapOrphans collects the exit status of processes that became this
// process's children when their parent died (it is a child subreaper, or
// the first process of a PID namespace): without it they would stay
// zombies. It waits only for dead processes that startProcess did not
// start, whose Wait is theirs.
func reapOrphans() {
	deadline := time.Now().Add(2 * time.Second)
	for {
		var zombies []int
		for _, ps := range processes() {
			if ps.ppid == os.Getpid() && ps.state == "Z" {
				zombies = append(zombies, ps.pid)
			}
		}
		started.Lock()
		waited := 0
		for _, z := range zombies {
			if !started.pids[z] {
				var ws syscall.WaitStatus
				syscall.Wait4(z, &ws, syscall.WNOHANG, nil)
				waited++
			}
		}
		started.Unlock()
		if waited == 0 || time.Now().After(deadline) {
			return
		}
	}
}

// leftovers returns the processes still below this one after waiting up to
// timeout for them to end, reaping the orphans among them.
func leftovers(timeout time.Duration) []procStat {
	deadline := time.Now().Add(timeout)
	for {
		reapOrphans()
		left := descendants(os.Getpid())
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// processes lists every process in /proc, if /proc is ours.
func processes() []procStat {
	if !procIsOurs() {
		return nil
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []procStat
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		fields := strings.Fields(s[close+1:])
		pid, err1 := strconv.Atoi(strings.TrimSpace(s[:open]))
		if err1 != nil || len(fields) < 2 {
			continue
		}
		ppid, err2 := strconv.Atoi(fields[1])
		if err2 != nil {
			continue
		}
		out = append(out, procStat{pid: pid, ppid: ppid, state: fields[0], comm: s[open+1 : close]})
	}
	return out
}

// procStat is a line of /proc/PID/stat, in part.
type procStat struct {
	pid, ppid   int
	state, comm string
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

// descendants lists the processes below pid, read from /proc; nothing if
// /proc belongs to another PID namespace, whose ids kill would misread.
func descendants(pid int) []procStat {
	children := map[int][]procStat{}
	for _, ps := range processes() {
		children[ps.ppid] = append(children[ps.ppid], ps)
	}
	var out []procStat
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c.pid)
		}
	}
	return out
}

// procIsOurs reports whether /proc shows this process's PID namespace.
func procIsOurs() bool {
	self, err := os.Readlink("/proc/self")
	return err == nil && self == strconv.Itoa(os.Getpid())
}
