; R+X segment with p_memsz > p_filesz: 6.7+ leave the file bytes after p_filesz (zeroing a read-only page fails and is ignored); up to 6.6 the failed zeroing kills the exec. Exit code = the first byte after p_filesz (42)
%define P_FILESZ fileend
%define P_MEMSZ 0x2000
%include "elf32-header.inc"
_start:
  movzx ebx, byte [$$ + fileend]
  mov eax, 1
  int 0x80
fileend equ $ - $$
  times 32 db 0x2a
filesize equ $ - $$
