from graph_builder.cli.main import main

raise SystemExit(main())
