# imcost completion fish: the script generated from the command table.
"$IMCOST" completion fish
