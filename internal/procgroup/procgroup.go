// Package procgroup starts a child process in a process group of its own,
// so that stopping it also stops everything it started (a shell's aws
// command waiting on a waiter, the warm CLI's forked commands). Where the
// system has no process groups, only the child itself is stopped.
package procgroup
