from graph_builder.cli import main

raise SystemExit(main())
