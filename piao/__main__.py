import sys

from piao.cli import main

sys.exit(main())
