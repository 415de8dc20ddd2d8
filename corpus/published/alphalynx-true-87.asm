; AlphaLynx's 87-byte true (github.com/AlphaLynx0/tiny-bins, true/true.asm): a standard ELF32
; header and program header, then `inc eax; int 0x80` (exit with ebx, 0 at entry). golf's own
; reading of the bytes its listing assembles to (no binary was published).
BITS 32
org 0x8048000
        db      0x7f, "ELF", 1, 1, 1, 0         ; magic, ELFCLASS32, little-endian, version 1
        times 8 db 0
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386
        dd      1, entry, 52, 0, 0              ; e_version, e_entry, e_phoff, e_shoff, e_flags
        dw      52, 32, 1, 0, 0, 0              ; e_ehsize, e_phentsize, e_phnum, e_sh*
        dd      1, 0, 0x8048000, 0x8048000      ; p_type PT_LOAD, p_offset, p_vaddr, p_paddr
        dd      87, 87, 5, 0x1000               ; p_filesz, p_memsz, p_flags R+X, p_align
entry:
        inc     eax                             ; eax = 1: exit
        int     0x80                            ; status ebx = 0
