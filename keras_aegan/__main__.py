import sys

from keras_aegan.cli import main

sys.exit(main())
