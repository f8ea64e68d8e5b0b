from asyncmig.cli.app import main

main()
