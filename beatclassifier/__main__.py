from beatclassifier.cli import main

raise SystemExit(main())
