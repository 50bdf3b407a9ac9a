package state

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockHolderEnv makes TestFetchLockHolder a process that takes the fetch
// lock of the state directory the variable names, says so and waits.
const lockHolderEnv = "STATE_TEST_FETCH_LOCK_HOLDER"

func TestFetchLockHolder(t *testing.T) {
	dir := os.Getenv(lockHolderEnv)
	if dir == "" {
		t.Skip("a helper process for TestFetchLockAcrossProcesses")
	}
	s, err := Open(dir)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	if _, err := s.LockFetch(context.Background()); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	select {}
}

// TestFetchLockAcrossProcesses: a fetch lock held by another process
// refuses this one, naming the holder; once the holder is killed (SIGKILL:
// no release) the lock is free at once.
func TestFetchLockAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	holder := exec.Command(os.Args[0], "-test.run=^TestFetchLockHolder$")
	holder.Env = append(os.Environ(), lockHolderEnv+"="+dir)
	out, err := holder.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, holder.Start())
	t.Cleanup(func() { _ = holder.Process.Kill(); _ = holder.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "locked\n", line)

	s2, err := Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s2.Close() })
	_, err = s2.LockFetch(context.Background())
	require.ErrorIs(t, err, ErrFetchRunning)
	assert.Contains(t, err.Error(), fmt.Sprintf("process %d", holder.Process.Pid))

	require.NoError(t, holder.Process.Kill())
	_ = holder.Wait()
	lock, err := s2.LockFetch(context.Background())
	require.NoError(t, err, "a killed holder leaves the lock free")
	lock.Release()
}

// TestFetchLockInOneProcess: two stores on one directory in one process
// exclude each other too, and a released lock can be taken again.
func TestFetchLockInOneProcess(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir)
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(dir)
	require.NoError(t, err)
	defer b.Close()
	ctx := context.Background()

	lock, err := a.LockFetch(ctx)
	require.NoError(t, err)
	_, err = b.LockFetch(ctx)
	require.ErrorIs(t, err, ErrFetchRunning)
	lock.Release()
	lock, err = b.LockFetch(ctx)
	require.NoError(t, err)
	lock.Release()
}
