; Probe for ELF32 support on the host: a plain 32-bit (ELFCLASS32, EM_386) file that exits with
; status 42 through int 0x80. A kernel without IA32 emulation (compiled out, or ia32_emulation=off)
; refuses it with ENOEXEC. The bytes are embedded in src/linux/native.ts.
; Build: nasm -f bin -i corpus/programs/ scripts/elf32-probe.asm -o probe
%include "elf32-header.inc"   ; the 32-bit reference programs' header (nasm -i corpus/programs/)
_start:
  mov eax, 1
  mov ebx, 42
  int 0x80
filesize equ $ - $$
