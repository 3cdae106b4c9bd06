"""Runs a command on a real pseudo-terminal, as a person at a terminal would: waits for each expected text,
then types the answer. Prints one JSON object: everything the terminal showed, where each step's text appeared,
and how the process ended.

Usage: python3 pty-session.py '{"argv": [...], "env": {...}, "steps": [{"expect": "Password", "send": "x\\r"}],
                                "timeout": 20}'
"""
import json
import os
import pty
import select
import sys
import time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    env = {k: v for k, v in os.environ.items() if k not in spec.get("unset", [])}
    env.update(spec.get("env", {}))
    os.execvpe(spec["argv"][0], spec["argv"], env)

deadline = time.time() + spec.get("timeout", 20)
output = b""
marks = []
timed_out = False


def read_some(wait):
    global output
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        return False
    if not chunk:
        return False
    output += chunk
    return True


alive = True
for step in spec.get("steps", []):
    wanted = step["expect"].encode()
    start = marks[-1]["end"] if marks else 0
    while alive and wanted not in output[start:] and time.time() < deadline:
        alive = read_some(0.05)
    at = output.find(wanted, start)
    if at < 0:
        timed_out = True
        break
    marks.append({"expect": step["expect"], "at": at, "end": at + len(wanted)})
    time.sleep(step.get("pause", 0.2))
    os.write(fd, step["send"].encode())

while alive and time.time() < deadline:
    alive = read_some(0.05)
if alive:
    timed_out = True
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({
    "output": output.decode("utf-8", "replace"),
    "marks": marks,
    "exitCode": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    "timedOut": timed_out,
}))
