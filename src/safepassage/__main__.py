from safepassage.cli import main

raise SystemExit(main())
