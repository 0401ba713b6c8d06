from voicecheck.cli import run

run()
