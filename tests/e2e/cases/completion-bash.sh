# imcost completion bash: the script generated from the command table.
"$IMCOST" completion bash
