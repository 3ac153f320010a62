from nämndtool.cli import main

raise SystemExit(main())
