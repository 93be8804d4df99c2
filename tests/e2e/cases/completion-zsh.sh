# imcost completion zsh: the script generated from the command table.
"$IMCOST" completion zsh
