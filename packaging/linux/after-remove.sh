#!/bin/sh
# After Kontor's package is removed (dpkg: "remove" or "purge"; rpm: no
# version left). The program is gone; what each user made with it is not.
case "$1" in
  remove | purge | 0)
    echo "Kontor is removed. Each user's contacts, tasks and backups stay in their"
    echo "~/.local/share/de.kontor.crm (or \$KONTOR_DATA_DIR); delete that folder to remove them too."
    ;;
esac
exit 0
