; R+X segment with p_memsz > p_filesz: 6.7+ leave the file bytes after p_filesz; the anonymous pages above are still writable. Exit code = first byte after p_filesz (42) after storing to the next page
%define P_FILESZ fileend
%define P_MEMSZ 0x2000
%include "elf64-header.inc"
_start:
  mov rax, 0x400000 + 0x1000
  mov dword [rax], 7
  movzx edi, byte [rel $$ + fileend]
  mov eax, 60
  syscall
fileend equ $ - $$
  times 32 db 0x2a
filesize equ $ - $$
