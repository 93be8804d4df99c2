# imcost completion without a shell, or with an unknown one: exit 2.
"$IMCOST" completion; echo "exit $?"
"$IMCOST" completion tcsh; echo "exit $?"
