from voicecheck.cli import main

main()
