; R+X segment with p_memsz > p_filesz: 6.7+ leave the file bytes after p_filesz; the anonymous pages above are still writable. Exit code = first byte after p_filesz (42) after storing to the next page
BITS 64
org 0x400000
ehdr:
  db 0x7f, "ELF", 2, 1, 1, 0
  times 8 db 0
  dw 2, 62
  dd 1
  dq _start
  dq phdr - $$
  dq 0
  dd 0
  dw 64, 56, 1, 64, 0, 0
phdr:
  dd 1, 5
  dq 0, $$, $$
  dq fileend, 0x2000
  dq 0x1000
_start:
  mov rax, 0x400000 + 0x1000
  mov dword [rax], 7
  movzx edi, byte [rel $$ + fileend]
  mov eax, 60
  syscall
fileend equ $ - $$
  times 32 db 0x2a
filesize equ $ - $$
