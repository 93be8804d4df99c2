# 4096 pseudo-random bytes; the first is 0x91 (not valid UTF-8 anywhere).
. "$CASES/lib.inc"
seed
bytes 42 4096 >garbage.bin
try_import garbage.bin
