; RW segment with p_memsz > p_filesz: the rest of the last file page is zeroed; exit code = OR of those bytes (0)
%define P_FLAGS 7
%define P_FILESZ fileend
%define P_MEMSZ 0x3000
%include "elf64-header.inc"
_start:
  lea rsi, [rel $$ + fileend]
  xor eax, eax
  mov ecx, 32
.l:
  or al, [rsi]
  inc rsi
  loop .l
  mov edi, eax
  mov eax, 60
  syscall
fileend equ $ - $$
  times 32 db 0x2a
filesize equ $ - $$
