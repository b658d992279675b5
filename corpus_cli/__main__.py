from corpus_cli.cli import main

main()
