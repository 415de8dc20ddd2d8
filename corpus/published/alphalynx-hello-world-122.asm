; AlphaLynx's 122-byte "Hello, world!" (github.com/AlphaLynx0/tiny-bins, hello-world/hello-world.asm
; at commit f6e7d94, the version that exits 0; later versions save bytes and exit 1): a standard
; ELF32 header and program header, write(1, msg, 14) and exit(0). golf's own reading of the bytes
; its listing assembles to (no binary was published).
BITS 32
org 0x8048000
        db      0x7f, "ELF", 1, 1, 1, 0         ; magic, ELFCLASS32, little-endian, version 1
        times 8 db 0
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386
        dd      1, entry, 52, 0, 0              ; e_version, e_entry, e_phoff, e_shoff, e_flags
        dw      52, 32, 1, 0, 0, 0              ; e_ehsize, e_phentsize, e_phnum, e_sh*
        dd      1, 0, 0x8048000, 0x8048000      ; p_type PT_LOAD, p_offset, p_vaddr, p_paddr
        dd      122, 122, 5, 0x1000             ; p_filesz, p_memsz, p_flags R+X, p_align
entry:
        push    byte 4
        pop     eax                             ; write
        push    byte 1
        pop     ebx                             ; fd 1
        lea     ecx, [msg]
        push    byte 14
        pop     edx                             ; 14 bytes
        int     0x80
        push    byte 1
        pop     eax                             ; exit
        xor     ebx, ebx                        ; status 0
        int     0x80
msg:    db      "Hello, world!", 10
