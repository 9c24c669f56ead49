from klaten_desktop.app import main

raise SystemExit(main())
