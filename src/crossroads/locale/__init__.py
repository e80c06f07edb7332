"""Translation catalogues (``<locale>/LC_MESSAGES/django.po``, compiled to ``.mo``) and the
date and number formats that complete Django's own (``<locale>/formats.py``), found through
``FORMAT_MODULE_PATH = ["crossroads.locale"]``. Refresh with ``scripts/i18n/refresh.py``."""
