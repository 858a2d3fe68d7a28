"""Shapes with areas."""
import math
from dataclasses import dataclass


class Shape:
    """Base of all shapes.

    Subclasses override :meth:`area`.
    """

    def area(self) -> float:
        raise NotImplementedError

    @property
    def name(self):
        '''The class name, lower-case.'''
        return type(self).__name__.lower()

    @staticmethod
    def unit() -> str:
        return "cm"


@dataclass
class Circle(Shape):
    radius: float = 1.0

    def area(self) -> float:
        return math.pi * self.radius ** 2

    @classmethod
    def from_diameter(cls, diameter: float) -> "Circle":
        return cls(diameter / 2)

    async def draw(self, canvas, *, color="black"):
        """Draw on a canvas."""
        await canvas.circle(self.radius, color=color)


class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side

    class Meta:
        ordering = ["side"]

        def describe(self):
            return "meta"
